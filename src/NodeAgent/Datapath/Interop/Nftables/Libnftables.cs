namespace WgIsolate.Datapath.Interop.Nftables;

/// <summary>libnftables from Debian's libnftables1; only the .so.1 is installed (no -dev package needed).</summary>
internal static partial class Libnftables
{
    internal const string Library = "libnftables.so.1";
}
