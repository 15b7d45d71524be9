using System.Net.Sockets;

using Aviary.Chain;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Mining.Remote;

public sealed partial class WorkerServer
{
    private async Task RunSessionAsync(WorkerSession session)
    {
        logger.LogInformation("worker connected from {Address} (slot {Slot})", session.Address, session.Slot);
        await session.RunAsync(Handle).ConfigureAwait(false);
        lock (gate)
        {
            slots[session.Slot] = null;
            sessionTasks.RemoveAll(t => t.IsCompleted);
        }

        logger.LogInformation("worker {Worker} disconnected", session.Label);
    }

    private void Refuse(Socket socket)
    {
        Interlocked.Increment(ref dropped);
        var address = socket.RemoteEndPoint?.ToString() ?? "unknown";
        logger.LogWarning("worker connection from {Address} refused: already {Max} workers", address, options.MaxWorkers);
        Dropped?.Invoke(address, "full");
        try
        {
            // A short line into an empty socket buffer does not block; then the connection closes.
            socket.Send(WorkerLine.Encode(new WorkerBye($"full: at most {options.MaxWorkers} workers")));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
    }

    /// <summary>Handles one read; false ends the session.</summary>
    private bool Handle(WorkerSession session, LineStatus status, ReadOnlyMemory<byte> line)
    {
        switch (status)
        {
            case LineStatus.End:
                return false;
            case LineStatus.TooLong:
                return Drop(session, $"a line over {WorkerLine.MaxWorkerLine} bytes");
        }

        if (!WorkerLine.TryDecode(line, out var message, out var error))
        {
            return Drop(session, $"malformed line: {error}");
        }

        switch (message)
        {
            case WorkerHello hello when session.Hello is null:
                session.Hello = hello;
                logger.LogInformation("worker {Worker}: {Threads} threads, tier {Tier}, counters from {Start:x12}", session.Label, hello.Threads, hello.Tier, CounterRanges.SlotStart(session.Slot));
                MiningJob? job;
                lock (gate)
                {
                    job = current;
                }

                if (job is not null)
                {
                    SendJob(session, job);
                }

                return true;
            case WorkerHello:
                return Drop(session, "a second hello");
            case not null when session.Hello is null:
                return Drop(session, "a message before hello");
            case WorkerStats stats:
                session.AttemptsPerSecond = stats.AttemptsPerSecond;
                return true;
            case WorkerSolution solution:
                return OnSolution(session, solution);
            default:
                return Drop(session, $"a \"{message?.Type}\" line, which only the node sends");
        }
    }

    private bool OnSolution(WorkerSession session, WorkerSolution solution)
    {
        MiningJob? job;
        bool isCurrent;
        long highest;
        lock (gate)
        {
            job = recent.Find(j => j.Id == solution.Job);
            isCurrent = current?.Id == solution.Job;
            highest = highestJob;
        }

        if (job is null)
        {
            if (solution.Job > highest)
            {
                return Drop(session, $"a solution for job {solution.Job}, which was never sent");
            }

            Interlocked.Increment(ref stale);
            return true;
        }

        var t = job.Template;
        var block = new Block(t.Height, t.MinedBy, solution.Nonce, t.Messages, string.Empty, t.Timestamp);
        block = block with { Hash = BlockHasher.Compute(block, t.PreviousHash) };
        var verdict = BlockValidator.Validate(block, t.PreviousHash, t.Height, job.Difficulty);
        if (!verdict.IsValid)
        {
            return Drop(session, $"a bad solution for job {job.Id}: {verdict}");
        }

        if (!isCurrent)
        {
            Interlocked.Increment(ref stale);
            return true;
        }

        session.Solutions++;
        Interlocked.Increment(ref solutions);
        logger.LogInformation("worker {Worker} solved job {Job}: block {Height} {Hash}", session.Label, job.Id, block.Height, block.Hash);
        Found?.Invoke(job, block);
        return true;
    }

    private void SendJob(WorkerSession session, MiningJob job)
    {
        var line = WorkerLine.Encode(new WorkerJob(job.Id, job.Template, job.Difficulty, CounterRanges.SlotStart(session.Slot), CounterRanges.SlotSize));
        if (line.Length > WorkerLine.MaxNodeLine + 1)
        {
            logger.LogError("job {Job} encodes to {Bytes} bytes, over the {Max}-byte line cap; not sent", job.Id, line.Length, WorkerLine.MaxNodeLine);
            return;
        }

        Send(session, line);
    }

    /// <summary>Queues a line; a worker whose queue is full is not reading and is dropped (the node never waits on it).</summary>
    private void Send(WorkerSession session, byte[] line)
    {
        if (!session.IsClosed && !session.Enqueue(line))
        {
            Drop(session, $"not reading: {options.MaxQueuedLines} lines waiting");
        }
    }

    private bool Drop(WorkerSession session, string reason)
    {
        Interlocked.Increment(ref dropped);
        logger.LogWarning("worker {Worker} dropped: {Reason}", session.Label, reason);
        Dropped?.Invoke(session.Label, reason);
        session.Close(reason);
        return false;
    }

    private void DropSilent()
    {
        List<(WorkerSession Session, TimeSpan Limit)> silent;
        lock (gate)
        {
            silent = [.. slots.OfType<WorkerSession>()
                .Select(s => (Session: s, Limit: s.Hello is null ? options.HelloTimeout : options.IdleTimeout))
                .Where(x => !x.Session.IsClosed && x.Session.Silence > x.Limit)];
        }

        foreach (var (session, limit) in silent)
        {
            Drop(session, $"silent for over {limit.TotalSeconds:0} s");
        }
    }
}
