using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aviary.Probe;

/// <summary>First contact: is anything answering at all? A dead port ends the probe within <see cref="ProbeOptions.ContactLimit"/>.</summary>
public sealed partial class Prober
{
    /// <summary>The checks, in the order they run (those a dead peer skips).</summary>
    private static readonly (string Id, string Title)[] Checks =
    [
        ("stats.reply", "STATS is answered with a STATS_REPLY"),
        ("stats.shape", "STATS_REPLY has an int height and a 64-hex hash (null and null for no chain)"),
        ("stats.count", "STATS height counts blocks: block height-1 exists and has the STATS hash"),
        ("get_block.valid", "GET_BLOCK for heights it has returns those blocks, well-typed"),
        ("get_block.missing", "GET_BLOCK one past the top returns the all-null reply"),
        ("get_block.negative", "GET_BLOCK -1 returns the all-null reply, not the top block"),
        ("get_block.non_integer", "GET_BLOCK with a non-integer height returns no block"),
        ("chain.verifies", "the chain it serves verifies from genesis"),
        ("gossip.reply", "GOSSIP is answered with a GOSSIP_REPLY sent to the originator it names"),
        ("gossip.forward_once", "a GOSSIP id is forwarded at most once"),
        ("consensus.stats", "CONSENSUS makes it ask its peers for STATS"),
        ("announce.adopted", "an ANNOUNCE of a valid next block is adopted"),
        ("malformed.survives", "junk, deep JSON and wrong types do not stop it answering STATS"),
    ];

    private static string Title(string id) => Checks.Single(c => c.Id == id).Title;

    /// <summary>
    /// Sends STATS every second, from a socket connected to the target, until anything answers, the
    /// port is refused (an ICMP port unreachable, which only a connected socket is told of), or
    /// <see cref="ProbeOptions.ContactLimit"/> passes.
    /// </summary>
    private async Task<(Datagram? Reply, string Why)> FirstContactAsync(CancellationToken cancel)
    {
        var refused = $"nothing answered from {options.Target}: the port is closed (ICMP port unreachable)";
        using var socket = new Socket(options.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(options.Bind, 0));
        socket.Connect(options.Target);
        var request = Encoding.UTF8.GetBytes(StatsRequest);
        var buffer = new byte[65_536];
        var deadline = DateTimeOffset.UtcNow + options.ContactLimit;
        var sent = 0;
        while (deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left && !cancel.IsCancellationRequested)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            round.CancelAfter(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            try
            {
                await socket.SendAsync(request, SocketFlags.None, cancel);
                sent++;
                while (true)
                {
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None, round.Token);
                    var bytes = buffer.AsSpan(0, n).ToArray();
                    var d = new Datagram(DateTimeOffset.UtcNow, options.Target, bytes, ProbeSocket.Parse(bytes));
                    if (IsStatsLike(d))
                    {
                        return (d, string.Empty);
                    }
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                return (null, refused);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                // No answer this second: ask again.
            }
            catch (OperationCanceledException)
            {
                // The probe's time limit (or the caller) stopped it: the checks report that.
                return (null, string.Empty);
            }
        }

        var seconds = options.ContactLimit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return (null, $"nothing answered from {options.Target} in {seconds} s ({sent} × STATS)");
    }

    /// <summary>The report for a peer that never answered: stats.reply fails with why, every other check is skipped.</summary>
    private ProbeReport Unanswered(DateTimeOffset started, TimeSpan took, string why) => new(
        Target: options.Target.ToString(),
        StartedAt: started,
        Seconds: took.TotalSeconds,
        Checks: [.. Checks.Select((c, i) => new CheckResult(c.Id, c.Title, i == 0 ? CheckOutcome.Fail : CheckOutcome.Skip, i == 0 ? why : "not run: nothing answered"))])
    {
        NoAnswer = why,
    };
}
