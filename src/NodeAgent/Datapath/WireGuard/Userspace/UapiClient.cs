using System.Net.Sockets;
using System.Text;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>
/// Talks to wireguard-go over its UAPI socket, /var/run/wireguard/&lt;device&gt;.sock. The socket is a file, so it
/// works from any network namespace, before and after the TUN moves. One request per connection: wireguard-go
/// would serve more, but other implementations (boringtun) serve one.
/// </summary>
public sealed class UapiClient(string socketDirectory = UapiClient.DefaultDirectory)
{
    public const string DefaultDirectory = "/var/run/wireguard";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public string SocketPath(string device) => Path.Combine(socketDirectory, device + ".sock");

    public bool Exists(string device) => File.Exists(SocketPath(device));

    /// <summary>A wireguard-go accepts connections on the device's socket (it may not have finished starting).</summary>
    public bool IsListening(string device) => Exists(device) && !IsStale(device);

    /// <summary>A socket file nobody listens on any more (ECONNREFUSED): its wireguard-go died.</summary>
    public bool IsStale(string device)
    {
        if (!Exists(device))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath(device)));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    public WireGuardDevice Get(string device) => UapiText.ParseGet(Exchange(device, UapiText.GetRequest), device);

    public void Set(string device, DeviceConfig config)
    {
        var response = Exchange(device, UapiText.SetRequest(config)).Trim('\n');
        if (!response.StartsWith("errno=", StringComparison.Ordinal))
        {
            throw new UapiException(device, $"unexpected answer to set: \"{response}\"");
        }

        UapiText.ThrowIfError(response["errno=".Length..], device, "set");
    }

    private string Exchange(string device, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.SendTimeout = socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath(device)));
        }
        catch (SocketException ex)
        {
            throw new UapiException(device, $"cannot reach wireguard-go at {SocketPath(device)}: {ex.Message}");
        }

        try
        {
            return Converse(socket, request);
        }
        catch (SocketException ex)
        {
            throw new UapiException(device, $"wireguard-go at {SocketPath(device)} broke off: {ex.Message}");
        }
    }

    private static string Converse(Socket socket, string request)
    {
        socket.Send(Encoding.ASCII.GetBytes(request));
        var response = new StringBuilder();
        var buffer = new byte[8192];
        // The answer ends with an empty line after errno=N.
        while (!response.ToString().Contains("errno=", StringComparison.Ordinal) || !response.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                break;
            }

            response.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return response.ToString();
    }
}
