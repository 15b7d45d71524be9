using System.CommandLine;

using Aviary.Cli;

var root = new RootCommand("Aviary: a peer for the course's gossip proof-of-work blockchain.");
foreach (var command in Commands.All())
{
    root.Subcommands.Add(command);
}

// Long enough for `aviary devnet` to stop its children (SIGTERM, a grace period, then a kill).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
return await root.Parse(args).InvokeAsync(invocation);
