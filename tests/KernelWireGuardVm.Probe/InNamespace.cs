using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// Traffic from inside app namespaces, made by the probe itself: a socket belongs to the namespace of the thread that
/// created it, so each is created on a thread switched into its namespace and then used from anywhere.
/// </summary>
public static class InNamespace
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>
    /// One ICMPv6 echo; the round trip in milliseconds, or null when nothing came back. WireGuard refusing to send at
    /// all (ENOKEY: no peer has that address among its allowed IPs) surfaces as a PingException: no reply either.
    /// </summary>
    public static long? Ping(string netns, IPAddress to, TimeSpan? timeout = null)
    {
        using var handle = NamedNetworkNamespaces.Open(netns);
        return NetnsThread.Run(handle, () =>
        {
            using var ping = new Ping();
            try
            {
                var reply = ping.Send(to, (int)(timeout ?? Patience).TotalMilliseconds);
                return reply.Status == IPStatus.Success ? reply.RoundtripTime : (long?)null;
            }
            catch (PingException)
            {
                return null;
            }
        });
    }

    /// <summary>Sends one message over TCP from one namespace to a listener in another; what the listener read ("" when nothing arrived).</summary>
    public static string TcpMessage(string fromNetns, string toNetns, IPAddress to, int port, string message, TimeSpan? timeout = null)
    {
        var patience = timeout ?? Patience;
        using var fromHandle = NamedNetworkNamespaces.Open(fromNetns);
        using var toHandle = NamedNetworkNamespaces.Open(toNetns);
        using var listener = NetnsThread.Run(toHandle, () =>
        {
            var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            socket.Listen(1);
            return socket;
        });
        using var client = NetnsThread.Run(fromHandle, () => new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
        var accepted = listener.AcceptAsync();
        try
        {
            if (!client.ConnectAsync(to, port).Wait(patience))
            {
                return "";
            }

            client.Send(Encoding.UTF8.GetBytes(message));
            client.Shutdown(SocketShutdown.Send);
            if (!accepted.Wait(patience))
            {
                return "";
            }

            using var server = accepted.Result;
            server.ReceiveTimeout = (int)patience.TotalMilliseconds;
            var received = new MemoryStream();
            var buffer = new byte[1024];
            for (int n; (n = server.Receive(buffer)) > 0;)
            {
                received.Write(buffer, 0, n);
            }

            return Encoding.UTF8.GetString(received.ToArray());
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException)
        {
            return "";
        }
        catch (SocketException)
        {
            return "";
        }
    }

    /// <summary>
    /// `wg show DEVICE dump` run where the device lives: the independent cross-check (wireguard-tools reads the kernel
    /// over its own genl code). Private keys are cut from the first line before anything is printed.
    /// </summary>
    public static IReadOnlyList<string> WgShowDump(string netns, string device)
    {
        var start = new ProcessStartInfo("/sbin/ip", ["netns", "exec", netns, "/sbin/wg", "show", device, "dump"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ip netns exec wg");
        var error = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wg show {device} dump in {netns} exited {process.ExitCode}: {error.Result.Trim()}");
        }

        return [.. lines.Select((line, i) => i == 0 ? WithoutPrivateKey(line) : line)];
    }

    // The interface line is "private-key public-key listen-port fwmark".
    private static string WithoutPrivateKey(string interfaceLine) => "(private)\t" + interfaceLine.Split('\t', 2)[1];
}
