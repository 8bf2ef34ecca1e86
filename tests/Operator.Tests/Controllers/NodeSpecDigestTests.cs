using System.Security.Cryptography;
using System.Text;
using k8s;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class NodeSpecDigestTests
{
    [Fact]
    public void Of_IsTheSha256OfTheSpecAsTheClientSerialisesIt()
    {
        var spec = new IsolatedNodeSpec
        {
            ClusterPrefix = "fd00::/48",
            Interfaces = [.. Enumerable.Range(0, 200).Select(i => new NodeInterfaceSpec
            {
                App = new AppReference { Namespace = "demo", Name = $"app-{i}" },
                Instance = $"app-{i}-0",
                ListenPort = 51820 + i,
            })],
        };

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(spec))));

        Assert.Equal(expected, NodeSpecDigest.Of(spec));
    }
}
