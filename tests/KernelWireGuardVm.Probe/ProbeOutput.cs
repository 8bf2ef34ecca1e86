using System.Text;
using System.Text.Json;
using WgIsolate.Datapath.Netlink;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>One `PROBE {json}` console line per scenario, stamped with the guest's uptime when it ended; the host-side
/// tests parse them.</summary>
public static class ProbeOutput
{
    public static void Write(string scenario, bool ok, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("scenario", scenario);
            json.WriteBoolean("ok", ok);
            json.WriteString("uptime", File.ReadAllText("/proc/uptime").Split(' ')[0]);
            fields(json);
            json.WriteEndObject();
        }
        Console.Out.WriteLine("PROBE " + Encoding.UTF8.GetString(buffer.ToArray()));
        Console.Out.Flush();
    }

    /// <summary>A refusal as the datapath decoded it: errno, the message it builds, the kernel's own words and offset.</summary>
    public static void NetlinkError(Utf8JsonWriter json, NetlinkException error)
    {
        json.WriteNumber("errno", error.Errno);
        json.WriteString("message", error.Message);
        json.WriteString("kernelMessage", error.KernelMessage);
        if (error.ExtendedAck.AttributeOffset is { } offset) json.WriteNumber("attributeOffset", offset); else json.WriteNull("attributeOffset");
    }
}
