using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Where peers reach a node's WireGuard ports: the address in the override annotation when present (nodes behind
/// NAT, or a dedicated interface), else the node's InternalIP, IPv6 preferred over IPv4.
/// </summary>
public static class NodeEndpoints
{
    public const string AddressAnnotation = "wgisolate.io/endpoint-address";

    /// <summary>The node's endpoint address, or null with the reason peers cannot reach it.</summary>
    public static (IPAddress? Address, string? Problem) Resolve(V1Node node)
    {
        if (node.Metadata?.Annotations?.TryGetValue(AddressAnnotation, out var text) == true)
        {
            return IPAddress.TryParse(text, out var overridden)
                ? (overridden, null)
                : (null, $"node {node.Metadata.Name}: annotation {AddressAnnotation} is '{text}', not an IP address");
        }

        var internalIps = (node.Status?.Addresses ?? [])
            .Where(a => a.Type == "InternalIP")
            .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
            .OfType<IPAddress>()
            .ToList();
        var chosen = internalIps.FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetworkV6)
            ?? internalIps.FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork);
        return chosen is null ? (null, $"node {node.Metadata?.Name} has no InternalIP address") : (chosen, null);
    }

    /// <summary>"[2001:db8::10]:51820" or "10.0.0.5:51820", as WireGuard and IsolatedNode.spec write endpoints.</summary>
    public static string Format(IPAddress address, int port) => new IPEndPoint(address, port).ToString();
}
