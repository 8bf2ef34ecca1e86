namespace WgIsolate.Operator.Kube;

internal static class OperatorLabels
{
    public const string Component = "wgisolate-operator";

    public static Dictionary<string, string> ManagedBy => new() { ["app.kubernetes.io/managed-by"] = Component };
}
