using Aviary.Hosting;
using Aviary.Web;

namespace Aviary.Census.Tests;

/// <summary>
/// The entry node of a <see cref="LoopbackNetwork"/> with its census running (reading every 200 ms,
/// grading one peer every 200 ms) until every peer has been graded once, and its dashboard.
/// </summary>
public sealed class NetworkPageFixture : IAsyncLifetime
{
    public LoopbackNetwork Net { get; private set; } = null!;

    public NetworkCensus Census { get; private set; } = null!;

    public DashboardServer Web { get; private set; } = null!;

    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        Net = LoopbackNetwork.Start();
        var access = new NodeAccess(Net.Entry.Core, Net.Entry.Host.Post);
        Census = CensusService.Create(new NodeSettings { Name = Net.Entry.Name, Bind = "127.0.0.1", Host = "127.0.0.1", CensusInterval = 1 }, access, o => o with { ReplyTimeout = TimeSpan.FromMilliseconds(500), ReadInterval = TimeSpan.FromMilliseconds(200), GradeInterval = TimeSpan.FromMilliseconds(200) });
        var others = Net.Honest.Count - 1 + Net.Fakes.Count;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        running = Census.RunAsync(stop.Token);
        while (Census.Table.Count < others || Census.Table.Snapshot().Any(e => e.GradedAt is null))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }

        Web = await DashboardServer.StartAsync(new DashboardOptions { Port = 0, Network = Census.View }, access);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }

        if (Net is not null)
        {
            await Net.DisposeAsync();
        }
    }
}
