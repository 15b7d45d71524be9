using Aviary.Node.Core;

namespace Aviary.Web;

/// <summary>
/// How the web threads read a <see cref="NodeCore"/>: every read is posted to the core's own thread
/// (the core is single-threaded) and awaited with a deadline, so a stopped host cannot hang a request.
/// </summary>
public sealed class NodeAccess(NodeCore core, Action<Action> post)
{
    /// <summary>Longest a read waits for the core thread before the request fails.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The node (touch it only inside <see cref="ReadAsync"/> or from core-thread events).</summary>
    public NodeCore Core { get; } = core;

    /// <summary>Runs <paramref name="read"/> on the core thread and returns its result.</summary>
    public Task<T> ReadAsync<T>(Func<NodeCore, T> read, CancellationToken cancel = default)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        post(() =>
        {
            try
            {
                result.TrySetResult(read(Core));
            }
            catch (Exception e)
            {
                result.TrySetException(e);
            }
        });
        return result.Task.WaitAsync(ReadTimeout, cancel);
    }

    /// <summary>Runs <paramref name="work"/> on the core thread, without waiting.</summary>
    public void Post(Action<NodeCore> work) => post(() => work(Core));
}
