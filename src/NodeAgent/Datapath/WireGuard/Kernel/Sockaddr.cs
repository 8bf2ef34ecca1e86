using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.WireGuard.Kernel;

/// <summary>WGPEER_A_ENDPOINT: a sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes), port big-endian.</summary>
internal static class Sockaddr
{
    public static byte[] Encode(IPEndPoint endpoint)
    {
        var v6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
        var bytes = new byte[v6 ? 28 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, v6 ? AddressFamilies.Inet6 : AddressFamilies.Inet);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endpoint.Port);
        if (v6)
        {
            endpoint.Address.TryWriteBytes(bytes.AsSpan(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)endpoint.Address.ScopeId);
        }
        else
        {
            endpoint.Address.TryWriteBytes(bytes.AsSpan(4, 4), out _);
        }

        return bytes;
    }

    /// <summary>Null when the length does not match the family: the kernel ignores such endpoints too.</summary>
    public static IPEndPoint? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return null;
        }

        var family = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        if (family == AddressFamilies.Inet && bytes.Length == 16)
        {
            return new IPEndPoint(new IPAddress(bytes.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
        }

        if (family == AddressFamilies.Inet6 && bytes.Length == 28)
        {
            var scope = BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]);
            return new IPEndPoint(new IPAddress(bytes.Slice(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
        }

        return null;
    }
}
