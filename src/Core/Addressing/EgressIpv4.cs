using System.Net;

namespace WgIsolate.Core.Addressing;

/// <summary>
/// The seed's IPv4 plan for egress veths: app <c>id</c> gets the /30 whose host end is
/// 172.25.(id % 255).(id / 255 * 4 + 1) and whose app end is the next address.
/// </summary>
public static class EgressIpv4
{
    /// <summary>The largest id whose /30 still fits the last octet: (id / 255) * 4 + 2 must stay ≤ 255.</summary>
    public const int MaxAppId = 63 * 255 + 254;

    public static (IPAddress Host, IPAddress App, int PrefixLength) For(int appId)
    {
        if (appId is < 0 or > MaxAppId)
        {
            throw new ArgumentOutOfRangeException(
                nameof(appId), appId, $"app id {appId} has no egress IPv4 /30: the 172.25.0.0/16 plan holds ids 0..{MaxAppId}");
        }

        var third = (byte)(appId % 255);
        var hostOctet = (byte)(appId / 255 * 4 + 1);
        return (new IPAddress([172, 25, third, hostOctet]), new IPAddress([172, 25, third, (byte)(hostOctet + 1)]), 30);
    }
}
