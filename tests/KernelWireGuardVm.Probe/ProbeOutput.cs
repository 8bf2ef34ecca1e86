using System.Text;
using System.Text.Json;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>One `PROBE {json}` console line per scenario; the host-side tests parse them.</summary>
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
            fields(json);
            json.WriteEndObject();
        }
        Console.Out.WriteLine("PROBE " + Encoding.UTF8.GetString(buffer.ToArray()));
        Console.Out.Flush();
    }
}
