using System.CommandLine;

namespace Aviary.Cli;

/// <summary>The <c>aviary</c> command tree and how a command line is run: usage errors are one line and exit 2.</summary>
internal static class AviaryProgram
{
    public static RootCommand Root()
    {
        var root = new RootCommand("Aviary: a peer for the course's gossip proof-of-work blockchain.");
        foreach (var command in Commands.All())
        {
            root.Subcommands.Add(command);
        }

        RefuseOptionsAsArguments(root);
        return root;
    }

    /// <summary>
    /// The parser hands an unknown <c>--flag</c> to a command's argument (<c>aviary verify --bogus</c>
    /// would try to read a file named "--bogus"); such a token is an unknown option instead.
    /// </summary>
    private static void RefuseOptionsAsArguments(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens.Where(t => LooksLikeOption(t.Value)))
                {
                    result.AddError($"unknown option \"{token.Value}\"");
                }
            });
        }

        foreach (var sub in command.Subcommands)
        {
            RefuseOptionsAsArguments(sub);
        }
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    /// <summary>Parses and runs <paramref name="args"/>; a usage error writes one line to <paramref name="error"/> and returns 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parse = Root().Parse(args);
        if (parse.Errors.Count > 0 && !UsageErrors.AsksForHelp(parse))
        {
            error.WriteLine(UsageErrors.Describe(parse));
            return ExitCodes.BadInput;
        }

        // Long enough for `aviary devnet` to stop its children (SIGTERM, a grace period, then a kill).
        var invocation = new InvocationConfiguration
        {
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
            Output = output,
            Error = error,
        };
        return await parse.InvokeAsync(invocation);
    }
}
