namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>include/uapi/linux/wireguard.h: commands and attribute numbers of the "wireguard" genl family.</summary>
internal static class WireGuardAttributes
{
    public const string FamilyName = "wireguard";
    public const byte Version = 1;
    public const byte GetDevice = 0;
    public const byte SetDevice = 1;

    public const ushort DeviceIfName = 2;
    public const ushort DevicePrivateKey = 3;
    public const ushort DevicePublicKey = 4;
    public const ushort DeviceFlags = 5;
    public const ushort DeviceListenPort = 6;
    public const ushort DevicePeers = 8;
    public const uint DeviceFlagReplacePeers = 1;

    public const ushort PeerPublicKey = 1;
    public const ushort PeerPresharedKey = 2;
    public const ushort PeerFlags = 3;
    public const ushort PeerEndpoint = 4;
    public const ushort PeerKeepalive = 5;
    public const ushort PeerLastHandshake = 6;
    public const ushort PeerRxBytes = 7;
    public const ushort PeerTxBytes = 8;
    public const ushort PeerAllowedIPs = 9;
    public const uint PeerFlagRemove = 1;
    public const uint PeerFlagReplaceAllowedIPs = 2;
    public const uint PeerFlagUpdateOnly = 4;

    public const ushort AllowedIPFamily = 1;
    public const ushort AllowedIPAddress = 2;
    public const ushort AllowedIPCidr = 3;

    /// <summary>Array elements are nests whose own type the kernel ignores; wireguard-tools sends 0.</summary>
    public const ushort Element = 0;
}
