using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Cli;

/// <summary>
/// What <c>aviary devnet</c> launches: for each node its name, ports and the exact
/// <c>aviary run</c> command line. Node 0 is the bootstrap every other node gossips to.
/// </summary>
internal sealed record DevnetPlan(int Peers, int Difficulty, int UdpPort, int WebPort, string? ChainFile, bool Mine = true)
{
    /// <summary>
    /// Node 0 mines on one thread (the others stay free for the nodes and dashboards); with no
    /// pre-mined chain it first mines the genesis.
    /// </summary>
    public static readonly IReadOnlyList<string> MiningArguments = ["--mine", "--threads", "1"];

    public const int MaxPeers = 16;

    public string Name(int i) => $"devnet-{i}";

    public int UdpPortOf(int i) => UdpPort + i;

    /// <summary>The node's dashboard port, or 0 when dashboards are off.</summary>
    public int WebPortOf(int i) => WebPort == 0 ? 0 : WebPort + i;

    /// <summary>The <c>aviary run</c> arguments of node <paramref name="i"/>.</summary>
    public List<string> RunArguments(int i)
    {
        var args = new List<string>
        {
            "run", "--network", "local", "--in-memory",
            "--bind", "127.0.0.1", "--host", "127.0.0.1",
            "--port", Text(UdpPortOf(i)),
            "--name", Name(i),
            "--difficulty", Text(Difficulty),
            "--web-port", Text(WebPortOf(i)),
        };
        if (i == 0)
        {
            if (ChainFile is not null)
            {
                args.AddRange(["--chain", ChainFile]);
            }
            else
            {
                args.AddRange(["--genesis", "Aviary devnet", "--genesis", "genesis"]);
            }

            if (Mine)
            {
                args.AddRange(MiningArguments);
            }
        }
        else
        {
            args.AddRange(["--peer", $"127.0.0.1:{Text(UdpPortOf(0))}"]);
        }

        return args;
    }

    /// <summary>Ports already taken on 127.0.0.1, so the devnet can refuse to start with a clear message.</summary>
    public List<string> BusyPorts()
    {
        var busy = new List<string>();
        for (var i = 0; i < Peers; i++)
        {
            if (!Free(SocketType.Dgram, ProtocolType.Udp, UdpPortOf(i)))
            {
                busy.Add($"udp {UdpPortOf(i)}");
            }

            if (WebPortOf(i) != 0 && !Free(SocketType.Stream, ProtocolType.Tcp, WebPortOf(i)))
            {
                busy.Add($"tcp {WebPortOf(i)}");
            }
        }

        return busy;
    }

    /// <summary>
    /// How to start this same program again: the apphost itself, or <c>dotnet aviary.dll</c> when we
    /// run under the muxer.
    /// </summary>
    public static (string FileName, List<string> Prefix) Self()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var muxer = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!muxer)
        {
            return (process, []);
        }

        // Under the muxer the entry assembly sits in the app's base directory (a single-file build
        // never gets here: it runs as its own apphost).
        var entry = Path.Combine(AppContext.BaseDirectory, "aviary.dll");
        return File.Exists(entry)
            ? (process, [entry])
            : throw new InvalidOperationException($"running under dotnet, but {entry} does not exist");
    }

    private static bool Free(SocketType type, ProtocolType protocol, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
