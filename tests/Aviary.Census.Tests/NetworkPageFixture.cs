using Aviary.Hosting;
using Aviary.Web;

namespace Aviary.Census.Tests;

/// <summary>
/// The entry node of a <see cref="LoopbackNetwork"/> with its census on: its membership read in until
/// every peer is there, each peer graded once (driven here, not by the timer), and its dashboard.
/// </summary>
public sealed class NetworkPageFixture : IAsyncLifetime
{
    public LoopbackNetwork Net { get; private set; } = null!;

    public NetworkCensus Census { get; private set; } = null!;

    public DashboardServer Web { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Net = LoopbackNetwork.Start();
        var access = new NodeAccess(Net.Entry.Core, Net.Entry.Host.Post);
        Census = CensusService.Create(new NodeSettings { Name = Net.Entry.Name, Bind = "127.0.0.1", Host = "127.0.0.1", CensusInterval = 1 }, access, o => o with { ReplyTimeout = TimeSpan.FromMilliseconds(500) });
        var others = Net.Honest.Count - 1 + Net.Fakes.Count;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (Census.Table.Count < others)
        {
            await Census.ReadOnceAsync(limit.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }

        for (var i = 0; i < others; i++)
        {
            await Census.GradeNextAsync(limit.Token);
        }

        await Census.ReadOnceAsync(limit.Token);
        Web = await DashboardServer.StartAsync(new DashboardOptions { Port = 0, Network = Census.View }, access);
    }

    public async ValueTask DisposeAsync()
    {
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
