using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Aviary.Node.Udp;

/// <summary>Reads how many datagrams Linux dropped for a bound UDP socket (its receive buffer was full).</summary>
internal static class SocketDrops
{
    public static long? Read(IPEndPoint bound)
    {
        var file = bound.AddressFamily == AddressFamily.InterNetworkV6 ? "/proc/net/udp6" : "/proc/net/udp";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var port = ":" + bound.Port.ToString("X4", CultureInfo.InvariantCulture);
        long? total = null;
        foreach (var line in lines.Skip(1))
        {
            // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops"
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 13 && columns[1].EndsWith(port, StringComparison.Ordinal)
                && long.TryParse(columns[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var drops))
            {
                total = (total ?? 0) + drops;
            }
        }

        return total;
    }
}
