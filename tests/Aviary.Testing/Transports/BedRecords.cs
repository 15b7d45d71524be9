using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Protocol;

namespace Aviary.Testing.Transports;

/// <summary>
/// What endpoints of a bed received, appended from whatever thread the transport delivers on and read
/// as snapshots from the test's; each append wakes <see cref="ITransportBed.RunUntilAsync"/>.
/// </summary>
internal sealed class BedLog<T>(SemaphoreSlim changed)
{
    private readonly List<T> items = [];

    public IReadOnlyList<T> Snapshot()
    {
        lock (items)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
        }

        changed.Release();
    }
}

/// <summary>
/// A core's accepted messages, recorded from its <c>MessageHandled</c> event; work for it goes through
/// <paramref name="post"/> (onto its thread) to the core <paramref name="core"/> gives.
/// </summary>
internal sealed class BedNode(PeerAddress address, Action<Action> post, Func<NodeCore> core, SemaphoreSlim changed) : IBedNode
{
    private readonly BedLog<(PeerAddress, Message)> handled = new(changed);

    public PeerAddress Address { get; } = address;

    public IReadOnlyList<(PeerAddress From, Message Message)> Handled => handled.Snapshot();

    public void Record(PeerAddress from, Message message) => handled.Add((from, message));

    public Task<T> OnCoreAsync<T>(Func<NodeCore, T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        post(() =>
        {
            try
            {
                result.SetResult(work(core()));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        return result.Task;
    }
}
