using k8s;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Tests.Api;

public class ApiSerializationTests
{
    [Fact]
    public void IsolatedApp_SerializesWithKubernetesFieldNames()
    {
        var app = new V1Alpha1IsolatedApp
        {
            Metadata = new() { Name = "receiver", NamespaceProperty = "demo" },
            Spec = new IsolatedAppSpec
            {
                Peers = [new PeerReference { Name = "sender" }],
                ListenPort = 51820,
                Egress = new EgressSpec { Veth = true, Routes = ["default"] },
            },
        };

        var json = KubernetesJson.Serialize(app);

        Assert.Contains("\"apiVersion\":\"wgisolate.io/v1alpha1\"", json);
        Assert.Contains("\"kind\":\"IsolatedApp\"", json);
        Assert.Contains("\"listenPort\":51820", json);
        Assert.Contains("\"egress\":{\"veth\":true", json);
        var back = KubernetesJson.Deserialize<V1Alpha1IsolatedApp>(json);
        Assert.Equal("sender", back.Spec.Peers.Single().Name);
        Assert.Equal(["default"], back.Spec.Egress!.Routes);
    }

    [Fact]
    public void IsolatedNode_PeerAllowedIPs_UsesKubernetesCasing()
    {
        var node = new V1Alpha1IsolatedNode
        {
            Metadata = new() { Name = "node-1" },
            Spec = new IsolatedNodeSpec
            {
                ClusterPrefix = "fd69:2d8e:610a::/48",
                Interfaces = [new NodeInterfaceSpec { Peers = [new NodePeerSpec { AllowedIPs = ["fd69:2d8e:610a:1::2/128"] }] }],
            },
        };

        var json = KubernetesJson.Serialize(node);

        Assert.Contains("\"allowedIPs\":[\"fd69:2d8e:610a:1::2/128\"]", json);
        Assert.Contains("\"clusterPrefix\":\"fd69:2d8e:610a::/48\"", json);
    }
}
