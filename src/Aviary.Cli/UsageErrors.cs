using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Aviary.Cli;

/// <summary>
/// Parser errors as a person reads them: one line that names the command, the option or argument
/// and what it expects (never a .NET type name), and where to find the help. Exit code 2.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>The one line for a parse that failed (its most telling error; the others usually follow from it).</summary>
    public static string Describe(ParseResult parse)
    {
        var command = CommandPath(parse.CommandResult);
        var error = parse.Errors.OrderBy(Rank).First();
        var what = error.SymbolResult switch
        {
            OptionResult o when CannotParse().Match(error.Message) is { Success: true } m
                => $"{o.Option.Name} expects {Expected(o.Option.ValueType)}, got \"{m.Groups["value"].Value}\"",
            ArgumentResult { Parent: OptionResult o } when CannotParse().Match(error.Message) is { Success: true } m
                => $"{o.Option.Name} expects {Expected(o.Option.ValueType)}, got \"{m.Groups["value"].Value}\"",
            ArgumentResult a when CannotParse().Match(error.Message) is { Success: true } m
                => $"{a.Argument.Name} expects {Expected(a.Argument.ValueType)}, got \"{m.Groups["value"].Value}\"",
            OptionResult o when o.Tokens.Count == 0
                => $"{o.Option.Name} needs a value: {Expected(o.Option.ValueType)}",
            _ => Plain(error.Message, parse.CommandResult.Command),
        };
        return $"{command}: {what}; see {command} --help";
    }

    /// <summary>Which error to show first: a bad value, then an unknown token, then what is missing.</summary>
    private static int Rank(ParseError error) => error.Message switch
    {
        var m when CannotParse().IsMatch(m) => 0,
        var m when UnknownToken().IsMatch(m) => 1,
        var m when m.StartsWith("Required command was not provided", StringComparison.Ordinal) => 4,
        var m when MissingArgument().IsMatch(m) => 3,
        _ => 2,
    };

    /// <summary>True when the parse asks for help (which wins over its errors).</summary>
    public static bool AsksForHelp(ParseResult parse) => parse.Action is HelpAction;

    /// <summary>What a value of <paramref name="type"/> looks like, in words.</summary>
    public static string Expected(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        t = t.IsArray ? t.GetElementType()! : t;
        return t switch
        {
            _ when t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong) || t == typeof(short) => "a whole number",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a number",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(FileInfo) => "a file path",
            _ when t == typeof(DirectoryInfo) => "a directory path",
            _ when t == typeof(TimeSpan) => "a duration such as 00:00:30",
            _ when t.IsEnum => "one of " + string.Join(", ", Enum.GetNames(t).Select(n => n.ToLowerInvariant())),
            _ => "a value",
        };
    }

    private static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as CommandResult)
        {
            names.Add(r.Command is RootCommand ? "aviary" : r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string Plain(string message, Command command)
    {
        if (UnknownToken().Match(message) is { Success: true } unknown)
        {
            return command.Subcommands.Count > 0 && command.Action is null
                ? $"unknown command \"{unknown.Groups["token"].Value}\""
                : $"unknown option or extra argument \"{unknown.Groups["token"].Value}\"";
        }

        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return "name a command";
        }

        if (MissingArgument().Match(message) is { Success: true })
        {
            var arguments = command.Arguments.Where(a => !a.Hidden).Select(a => a.Name).ToList();
            return arguments.Count == 0 ? "an argument is missing" : $"missing {string.Join(" ", arguments)}";
        }

        // Anything else from the parser, without its type names and trailing period.
        return TypeName().Replace(message, "a value").TrimEnd('.');
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '.*' as expected type '.*'\.?$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex UnknownToken();

    [GeneratedRegex(@"^Required argument missing for command")]
    private static partial Regex MissingArgument();

    [GeneratedRegex(@"'System\.[^']*'")]
    private static partial Regex TypeName();
}
