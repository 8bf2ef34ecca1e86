using System.Globalization;
using System.Net;
using System.Text;

namespace WgIsolate.Datapath.WireGuard.Userspace;

/// <summary>
/// The cross-platform WireGuard configuration protocol (wireguard.com/xplatform): `set=1` and `get=1` requests of
/// key=value lines, keys in lowercase hex, answered with `errno=N`. wireguard-go reports errno negative.
/// </summary>
public static class UapiText
{
    public static string SetRequest(DeviceConfig config)
    {
        var text = new StringBuilder("set=1\n");
        if (config.PrivateKey is { } key)
        {
            text.Append("private_key=").Append(Hex(key)).Append('\n');
        }

        if (config.ListenPort is { } port)
        {
            text.Append("listen_port=").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (config.ReplacePeers)
        {
            text.Append("replace_peers=true\n");
        }

        foreach (var peer in config.Peers)
        {
            text.Append("public_key=").Append(Hex(peer.PublicKey)).Append('\n');
            if (peer.Remove)
            {
                text.Append("remove=true\n");
                continue;
            }

            if (peer.UpdateOnly)
            {
                text.Append("update_only=true\n");
            }

            if (peer.PresharedKey is { } psk)
            {
                text.Append("preshared_key=").Append(Hex(psk)).Append('\n');
            }

            if (peer.Endpoint is { } endpoint)
            {
                text.Append("endpoint=").Append(endpoint).Append('\n');
            }

            if (peer.PersistentKeepalive is { } keepalive)
            {
                text.Append("persistent_keepalive_interval=").Append(keepalive.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            if (peer.ReplaceAllowedIPs)
            {
                text.Append("replace_allowed_ips=true\n");
            }

            foreach (var allowed in peer.AllowedIPs)
            {
                text.Append("allowed_ip=").Append(allowed).Append('\n');
            }
        }

        return text.Append('\n').ToString();
    }

    public const string GetRequest = "get=1\n\n";

    /// <summary>Parses a `get` response; throws <see cref="UapiException"/> when it reports an error.</summary>
    public static WireGuardDevice ParseGet(string response, string device)
    {
        string? privateKey = null;
        var port = 0;
        var peers = new List<WireGuardPeer>();
        PeerBuilder? peer = null;
        foreach (var line in response.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                throw new UapiException(device, $"malformed line \"{line}\"");
            }

            var (key, value) = (line[..eq], line[(eq + 1)..]);
            switch (key)
            {
                case "errno":
                    ThrowIfError(value, device, "get");
                    break;
                case "private_key":
                    privateKey = Base64(value);
                    break;
                case "listen_port":
                    port = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "public_key":
                    if (peer is not null)
                    {
                        peers.Add(peer.Build());
                    }

                    peer = new PeerBuilder(Base64(value));
                    break;
                default:
                    peer?.Set(key, value);
                    break;
            }
        }

        if (peer is not null)
        {
            peers.Add(peer.Build());
        }

        return new WireGuardDevice(privateKey is null || privateKey == PeerConfig.NoPresharedKey ? null : privateKey, port, peers);
    }

    public static void ThrowIfError(string errnoValue, string device, string operation)
    {
        var errno = Math.Abs(int.Parse(errnoValue, CultureInfo.InvariantCulture));
        if (errno != 0)
        {
            throw new UapiException(device, $"{operation} failed: {Interop.Errno.Describe(errno)}");
        }
    }

    private static string Hex(string base64) => Convert.ToHexStringLower(WireGuardKeys.Decode(base64, "key"));

    private static string Base64(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));

    private sealed class PeerBuilder(string publicKey)
    {
        private readonly List<IPNetwork> allowed = [];
        private string? psk;
        private IPEndPoint? endpoint;
        private long seconds;
        private long nanoseconds;
        private long rx;
        private long tx;
        private int keepalive;

        public void Set(string key, string value)
        {
            switch (key)
            {
                case "preshared_key": psk = Base64(value); break;
                case "endpoint": endpoint = IPEndPoint.Parse(value); break;
                case "last_handshake_time_sec": seconds = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "last_handshake_time_nsec": nanoseconds = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "rx_bytes": rx = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "tx_bytes": tx = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "persistent_keepalive_interval": keepalive = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "allowed_ip": allowed.Add(IPNetwork.Parse(value)); break;
                default: break; // protocol_version and keys newer versions add
            }
        }

        public WireGuardPeer Build() => new(
            publicKey,
            psk is null || psk == PeerConfig.NoPresharedKey ? null : psk,
            endpoint,
            seconds == 0 && nanoseconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100),
            rx,
            tx,
            keepalive,
            allowed);
    }
}

public sealed class UapiException(string device, string message) : Exception($"WireGuard device {device}: {message}");
