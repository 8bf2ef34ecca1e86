using System.Diagnostics;
using System.Net;

namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>Test-only traffic between namespaces with nc, like the seed's `echo hello | nc`.</summary>
public static class Traffic
{
    /// <summary>As <see cref="TcpMessage"/>, plus the listener's own log ("Connection received on ADDRESS PORT"),
    /// which tells where the connection came from as the listener saw it.</summary>
    public static (string Received, string ListenerLog) TcpExchange(string fromNetns, string toNetns, IPAddress to, int port, string message)
    {
        using var listener = Process.Start(new ProcessStartInfo("ip", $"netns exec {toNetns} nc -n -v {(to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "-6 " : "")}-l {port}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            for (var attempt = 0; attempt < 50 && !Listening(toNetns, port); attempt++)
            {
                Thread.Sleep(50);
            }

            var sent = Ip.TryRun("ip", $"netns exec {fromNetns} " + $"sh -c \"echo {message} | nc -N -w 3 {to} {port}\"");
            if (sent.ExitCode != 0)
            {
                return ("", "");
            }

            return listener.WaitForExit(5000)
                ? (listener.StandardOutput.ReadToEnd().Trim(), listener.StandardError.ReadToEnd().Trim())
                : ("", "");
        }
        finally
        {
            if (!listener.HasExited)
            {
                listener.Kill(entireProcessTree: true);
            }
        }
    }

    private static bool Listening(string netns, int port) => Ip.TryRun("ss", $"-N {netns} -Hltn sport = :{port}").Output.Trim().Length > 0;

}
