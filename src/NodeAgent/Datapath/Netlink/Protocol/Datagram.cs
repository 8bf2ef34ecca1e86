namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>Splits one received datagram into its messages, each at an ALIGN4(len) offset.</summary>
public static class Datagram
{
    public static List<NetlinkMessage> Split(ReadOnlyMemory<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        var offset = 0;
        while (datagram.Length - offset >= NetlinkHeader.Size)
        {
            var header = NetlinkHeader.Read(datagram.Span[offset..]);
            if (header.Length < NetlinkHeader.Size || header.Length > datagram.Length - offset)
            {
                throw new NetlinkProtocolException(
                    $"message at offset {offset} claims {header.Length} bytes, datagram has {datagram.Length - offset} left");
            }

            messages.Add(new NetlinkMessage(header, datagram.Slice(offset + NetlinkHeader.Size, (int)header.Length - NetlinkHeader.Size)));
            offset += Alignment.Align4((int)header.Length);
        }

        return messages;
    }
}
