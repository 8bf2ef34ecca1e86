namespace WgIsolate.KubeApiDouble.Http;

/// <summary>A kubeconfig for the double: plain HTTP on loopback and a bearer token the double accepts unchecked.</summary>
public static class Kubeconfig
{
    public static string Render(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: apidouble
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: apidouble
          user:
            token: apidouble-token
        contexts:
        - name: apidouble
          context:
            cluster: apidouble
            user: apidouble
            namespace: default
        current-context: apidouble

        """;
}
