using WgIsolate.Core.Validation;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>One instance as status reports it: what was allocated, and what the node's agent says it realised.</summary>
public sealed record ObservedInstance(string Name, string Node, InstanceAllocation? Allocation, string? Endpoint,
    NodeInterfaceSpec? Desired, NodeInterfaceStatus? Realised);

/// <summary>Pure: turns what the reconciler learned into IsolatedApp.status with Ready / Progressing / Degraded.</summary>
public static class AppStatusBuilder
{
    public const string InvalidSpec = "InvalidSpec";

    public static IsolatedAppStatus Invalid(V1Alpha1IsolatedApp app, IReadOnlyList<FieldError> problems, DateTimeOffset now)
    {
        var message = string.Join("; ", problems);
        var generation = app.Metadata.Generation;
        var previous = app.Status?.Conditions;
        return new IsolatedAppStatus
        {
            ObservedGeneration = generation,
            Subnet = null,
            Conditions =
            [
                Conditions.Make(previous, ConditionTypes.Ready, false, InvalidSpec, message, generation, now),
                Conditions.Make(previous, ConditionTypes.Progressing, false, InvalidSpec, "fix the spec to continue", generation, now),
                Conditions.Make(previous, ConditionTypes.Degraded, false, InvalidSpec, "nothing was allocated", generation, now),
            ],
        };
    }

    public static IsolatedAppStatus Converging(V1Alpha1IsolatedApp app, AppAllocation allocation, IReadOnlyList<ObservedInstance> instances,
        IReadOnlyList<PeerStatus> peers, IReadOnlyList<string> nodeProblems, DateTimeOffset now)
    {
        var generation = app.Metadata.Generation;
        var previous = app.Status?.Conditions;
        var failed = instances.Where(i => !string.IsNullOrEmpty(i.Realised?.Error)).ToList();
        var pending = instances.Where(i => i.Realised is not { Ready: true }).ToList();

        var (ready, readyReason, readyMessage) = instances.Count == 0
            ? (false, "NoInstances", "no scheduled pod matches spec.selector")
            : pending.Count == 0
                ? (true, "Converged", $"{instances.Count} instance(s) realised")
                : (false, "WaitingForAgents", $"{pending.Count} of {instances.Count} instance(s) not realised yet: {Names(pending)}");
        var (degraded, degradedReason, degradedMessage) = (failed.Count, nodeProblems.Count) switch
        {
            ( > 0, _) => (true, "AgentError", string.Join("; ", failed.Select(i => $"{i.Name} on {i.Node}: {i.Realised!.Error}"))),
            (_, > 0) => (true, "NodeAddressUnknown", string.Join("; ", nodeProblems)),
            _ => (false, "AsExpected", "no errors reported"),
        };

        return new IsolatedAppStatus
        {
            ObservedGeneration = generation,
            Subnet = allocation.Subnet,
            Instances = [.. instances.OrderBy(i => i.Name, StringComparer.Ordinal).Select(ToStatus)],
            Peers = [.. peers],
            Conditions =
            [
                Conditions.Make(previous, ConditionTypes.Ready, ready, readyReason, readyMessage, generation, now),
                Conditions.Make(previous, ConditionTypes.Progressing, !ready && instances.Count > 0, ready ? "Converged" : readyReason,
                    ready ? "nothing left to do" : readyMessage, generation, now),
                Conditions.Make(previous, ConditionTypes.Degraded, degraded, degradedReason, degradedMessage, generation, now),
            ],
        };
    }

    private static InstanceStatus ToStatus(ObservedInstance i) => new()
    {
        Name = i.Name,
        Node = i.Node,
        Address = i.Allocation?.Address.Split('/')[0],
        PublicKey = i.Realised?.PublicKey,
        Endpoint = i.Endpoint,
        Netns = i.Desired?.Netns,
        Ready = i.Realised is { Ready: true },
    };

    private static string Names(IEnumerable<ObservedInstance> instances) =>
        string.Join(", ", instances.Select(i => i.Name).Order(StringComparer.Ordinal).Take(5));
}
