using System.CommandLine;

namespace Aviary.Cli.Tests;

/// <summary>
/// Every usage error of every command is one line that names the command and the option or
/// argument at fault, never a .NET type name, with exit code 2; help only on <c>--help</c>.
/// </summary>
public sealed class UsageErrorTests
{
    public static TheoryData<string> CommandPaths() => [.. Walk(AviaryProgram.Root(), []).Select(p => string.Join(' ', p))];

    /// <summary>Every command path with each option that takes a typed value (a number, a file).</summary>
    public static TheoryData<string, string> TypedOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in Walk(AviaryProgram.Root(), []))
        {
            foreach (var option in Find(path).Options.Where(o => Typed(o.ValueType)))
            {
                data.Add(string.Join(' ', path), option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public async Task An_unknown_option_is_one_line_naming_it_with_exit_code_2(string path)
    {
        var outcome = await InvokeAsync([.. Split(path), "--no-such-option"]);

        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(Lines(outcome.Error));
        Assert.StartsWith($"aviary {path}: ", line, StringComparison.Ordinal);
        Assert.Contains("\"--no-such-option\"", line, StringComparison.Ordinal);
        Assert.EndsWith($"see aviary {path} --help", line, StringComparison.Ordinal);
        Assert.Empty(outcome.Output);
    }

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task A_value_of_the_wrong_kind_names_the_option_and_what_it_expects(string path, string option)
    {
        var outcome = await InvokeAsync([.. Split(path), option, "not-a-value"]);

        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(Lines(outcome.Error));
        Assert.StartsWith($"aviary {path}: {option} expects ", line, StringComparison.Ordinal);
        Assert.Contains("got \"not-a-value\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public async Task A_missing_argument_names_it()
    {
        var outcome = await InvokeAsync(["stats"]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("aviary stats: missing HOST:PORT; see aviary stats --help", Assert.Single(Lines(outcome.Error)));
    }

    [Fact]
    public async Task An_argument_of_the_wrong_kind_names_it()
    {
        var outcome = await InvokeAsync(["block", "127.0.0.1:1", "tall"]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("aviary block: HEIGHT expects a whole number, got \"tall\"; see aviary block --help", Assert.Single(Lines(outcome.Error)));
    }

    [Theory]
    [InlineData("", "aviary: name a command; see aviary --help")]
    [InlineData("frobnicate", "aviary: unknown command \"frobnicate\"; see aviary --help")]
    [InlineData("bench", "aviary bench: name a command; see aviary bench --help")]
    public async Task A_missing_or_unknown_command_is_one_line(string args, string expected)
    {
        var outcome = await InvokeAsync(Split(args));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(expected, Assert.Single(Lines(outcome.Error)));
    }

    [Fact]
    public async Task Help_is_printed_on_request_only_with_exit_code_0()
    {
        var outcome = await InvokeAsync(["run", "--help"]);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("--port", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(outcome.Error);
    }

    private static async Task<Outcome> InvokeAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AviaryProgram.InvokeAsync(args, output, error);
        return new Outcome(code, output.ToString(), error.ToString());
    }

    private static IEnumerable<List<string>> Walk(Command command, List<string> path)
    {
        if (command.Action is not null && path.Count > 0)
        {
            yield return path;
        }

        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            foreach (var p in Walk(sub, [.. path, sub.Name]))
            {
                yield return p;
            }
        }
    }

    private static Command Find(List<string> path)
    {
        Command command = AviaryProgram.Root();
        foreach (var name in path)
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        return command;
    }

    private static bool Typed(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(int) || t == typeof(long) || t == typeof(double);
    }

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
