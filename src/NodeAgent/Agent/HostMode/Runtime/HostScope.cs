using System.Security.Cryptography;
using System.Text;
using WgIsolate.Datapath.Nftables;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>
/// What one state directory owns on the host. Its full path prefixes every owner written into link aliases
/// ("wgisolate:/var/lib/wgisolate:demo/receiver"), so that two state directories on one machine never collect
/// each other's apps, and it names the host NAT table (the default directory keeps the plain name).
/// </summary>
internal sealed record HostScope(string StateDirectory)
{
    public string OwnerPrefix => Path.GetFullPath(StateDirectory).TrimEnd('/') + ":";

    public string Owner(string appKey) => OwnerPrefix + appKey;

    public string NatTable => Path.GetFullPath(StateDirectory).TrimEnd('/') == State.HostState.DefaultDirectory
        ? HostNatTable.DefaultTable
        : HostNatTable.DefaultTable + "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OwnerPrefix)).AsSpan(0, 4));
}
