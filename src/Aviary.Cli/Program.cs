using System.CommandLine;

using Aviary.Cli;

var root = new RootCommand("Aviary: a peer for the course's gossip proof-of-work blockchain.");
foreach (var command in Commands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
