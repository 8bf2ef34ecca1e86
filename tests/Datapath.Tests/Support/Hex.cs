namespace WgIsolate.Datapath.Tests.Support;

/// <summary>Hex dumps as written in netlink-reference.md: "34 00 00 00 12 00 ...", with "00*16" for runs.</summary>
public static class Hex
{
    public static byte[] Parse(string dump)
    {
        var bytes = new List<byte>();
        foreach (var token in dump.Split([' ', '\n', '\r', '|'], StringSplitOptions.RemoveEmptyEntries))
        {
            var star = token.IndexOf('*');
            if (star > 0)
            {
                var value = Convert.ToByte(token[..star], 16);
                bytes.AddRange(Enumerable.Repeat(value, int.Parse(token[(star + 1)..])));
            }
            else
            {
                bytes.Add(Convert.ToByte(token, 16));
            }
        }

        return [.. bytes];
    }

    public static string Format(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2")));

    /// <summary>Zeroes seq and pid (bytes 8-15) of the header, which differ between captures and our builders.</summary>
    public static byte[] MaskSequenceAndPort(byte[] message)
    {
        var copy = (byte[])message.Clone();
        copy.AsSpan(8, 8).Clear();
        return copy;
    }

    /// <summary>Asserts equality showing both dumps, which is how a byte mismatch is readable.</summary>
    public static void AssertEqual(string expectedDump, byte[] actual)
    {
        Assert.Equal(Format(MaskSequenceAndPort(Parse(expectedDump))), Format(MaskSequenceAndPort(actual)));
    }
}
