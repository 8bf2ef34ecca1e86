using k8s.Models;

namespace WgIsolate.KubeApiDouble.Tests.Support;

internal static class ConfigMaps
{
    public static V1ConfigMap ConfigMap(string name, string value = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["k"] = value },
    };
}
