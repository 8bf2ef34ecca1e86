using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// Every generic netlink datagram the kernel backend exchanged, kept in memory: handed to the backend as its socket
/// opener, it shows how a configuration was really split into SET_DEVICE messages and GET_DEVICE replies.
/// </summary>
public sealed class GenlTraffic
{
    private readonly Lock gate = new();
    private readonly List<(bool Sent, byte[] Datagram)> datagrams = [];

    /// <summary>Position to count from: the shapes methods look only at what came after it.</summary>
    public int Mark
    {
        get
        {
            lock (gate) return datagrams.Count;
        }
    }

    public NetlinkSocket Open(NetnsHandle netns) =>
        new(new Observed(NetnsThread.Run(netns, () => SocketTransport.Open(NetlinkProtocol.Generic)), this), NetlinkProtocol.Generic);

    /// <summary>The WG_CMD_SET_DEVICE messages sent to <paramref name="device"/> since <paramref name="mark"/>.</summary>
    public IReadOnlyList<MessageShape> SetDevice(string device, int mark) =>
        [.. Shapes(sent: true, WireGuardAttributes.SetDevice, mark).Where(shape => shape.Device == device)];

    /// <summary>
    /// The WG_CMD_GET_DEVICE reply messages since <paramref name="mark"/>, which must cover a single read: the kernel
    /// names the device only in the first message of a dump.
    /// </summary>
    public IReadOnlyList<MessageShape> GetDeviceReplies(int mark) => Shapes(sent: false, WireGuardAttributes.GetDevice, mark);

    private List<MessageShape> Shapes(bool sent, byte command, int mark)
    {
        List<byte[]> selected;
        lock (gate)
        {
            selected = datagrams.Skip(mark).Where(d => d.Sent == sent).Select(d => d.Datagram).ToList();
        }

        return selected
            .SelectMany(datagram => Datagram.Split(datagram))
            // Family ids above the controller's are the dynamically assigned ones, here only "wireguard".
            .Where(m => m.Header.Type > GenericMessages.ControllerFamilyId && GenericHeader.Read(m.Payload.Span).Command == command)
            .Select(Shape)
            .ToList();
    }

    private static MessageShape Shape(NetlinkMessage message)
    {
        var device = "";
        var peers = 0;
        var replacePeers = false;
        foreach (var attribute in message.Attributes(GenericHeader.Size))
        {
            switch (attribute.Type)
            {
                case WireGuardAttributes.DeviceIfName:
                    device = attribute.String();
                    break;
                case WireGuardAttributes.DeviceFlags:
                    replacePeers = (attribute.U32() & WireGuardAttributes.DeviceFlagReplacePeers) != 0;
                    break;
                case WireGuardAttributes.DevicePeers:
                    foreach (var _ in attribute.Nested())
                    {
                        peers++;
                    }

                    break;
                default:
                    break;
            }
        }

        return new MessageShape(device, peers, (int)message.Header.Length, replacePeers);
    }

    private void Record(bool sent, ReadOnlySpan<byte> datagram)
    {
        lock (gate) datagrams.Add((sent, datagram.ToArray()));
    }

    private sealed class Observed(INetlinkTransport inner, GenlTraffic traffic) : INetlinkTransport
    {
        public uint PortId => inner.PortId;

        public void Send(ReadOnlySpan<byte> message)
        {
            traffic.Record(sent: true, message);
            inner.Send(message);
        }

        public byte[] Receive()
        {
            var datagram = inner.Receive();
            traffic.Record(sent: false, datagram);
            return datagram;
        }

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>One WireGuard genl message: its device ("" when not named), how many peer entries it carried, its size.</summary>
public sealed record MessageShape(string Device, int Peers, int Bytes, bool ReplacePeers);
