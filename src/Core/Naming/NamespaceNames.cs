using System.Security.Cryptography;
using System.Text;

namespace WgIsolate.Core.Naming;

/// <summary>
/// Names of the network namespaces under /run/netns. In host mode the app's own name, so that users find
/// /run/netns/receiver where the hand-made setup put it; when that is too long for the interface-naming rule
/// it is hashed the same way. On Kubernetes a pod's namespace name is derived from namespace/pod.
/// </summary>
public static class NamespaceNames
{
    public static string ForHostApp(string app) =>
        Encoding.UTF8.GetByteCount(app) <= InterfaceNames.MaxBytes ? app : InterfaceNames.Make("ns", app);

    /// <summary>Pod names run to 253 characters, so the name is always a hash: stable, unique, recognisable.</summary>
    public static string ForPod(string kubernetesNamespace, string pod) =>
        "wgi-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kubernetesNamespace}/{pod}")))[..16];

    public static string Path(string name) => "/run/netns/" + name;
}
