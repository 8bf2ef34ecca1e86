using System.Text;

namespace WgIsolate.Datapath.Interop;

internal static class NativePath
{
    /// <summary>A NUL-terminated UTF-8 copy for libc calls taking <c>const char*</c>.</summary>
    public static byte[] Utf8z(string value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException($"path contains a NUL character: {value}", nameof(value));
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
