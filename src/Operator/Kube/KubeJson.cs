using System.Text.Json;
using k8s;

namespace WgIsolate.Operator.Kube;

/// <summary>The client's JSON settings (its converters and naming), which it hands out only to a configuration
/// callback, for the requests and watch events this process serialises itself.</summary>
public static class KubeJson
{
    private static readonly Lazy<JsonSerializerOptions> Client = new(() =>
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    });

    public static JsonSerializerOptions Options => Client.Value;
}
