using System.CommandLine;

using Aviary.Bench;

namespace Aviary.Cli;

/// <summary><c>aviary bench sync</c>: its options; the measurement is <see cref="SyncBenchmark"/> in Aviary.Bench.</summary>
internal static class BenchSyncCommand
{
    public static Command Create()
    {
        var blocks = new Option<int>("--blocks") { Description = "chain length to sync", DefaultValueFactory = _ => 100_000 };
        var peers = new Option<int>("--peers") { Description = "serving nodes", DefaultValueFactory = _ => 4 };
        var loss = new Option<double>("--loss") { Description = "share of replies each server drops (0 to 0.5)", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };
        var noAnchor = new Option<bool>("--no-anchor") { Description = "skip the Python anchor" };
        var store = new Option<string>("--store") { Description = "the syncing node's chain store: memory, or sqlite (a temporary data directory)", DefaultValueFactory = _ => "memory" };
        store.AcceptOnlyFromAmong("memory", "sqlite");
        var command = new Command("sync", "Sync a chain over loopback UDP and compare with a Python anchor.") { blocks, peers, loss, json, noAnchor, store };
        command.SetAction((parse, stop) => SyncBenchmark.RunAsync(parse.GetValue(blocks), parse.GetValue(peers), parse.GetValue(loss), parse.GetValue(json), parse.GetValue(noAnchor), parse.GetValue(store) == "sqlite", stop));
        return command;
    }
}
