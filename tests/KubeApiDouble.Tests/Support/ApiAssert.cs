using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace WgIsolate.KubeApiDouble.Tests.Support;

internal static class ApiAssert
{
    /// <summary>Asserts the call fails with <paramref name="code"/> and returns the v1 Status the server sent.</summary>
    public static async Task<V1Status> FailsWithAsync(HttpStatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal((int)code, status.Code);
        return status;
    }

    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => long.Parse(obj.Metadata.ResourceVersion);
}
