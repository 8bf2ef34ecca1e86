using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Metrics;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Hosting;

/// <summary>
/// The composition root: one shared Kubernetes client (in-cluster, or --kubeconfig for development), the caches,
/// the two controllers, leader election, /metrics, /healthz and /readyz. Tests build the same app against the
/// API server double by passing --kubeconfig.
/// </summary>
public static class OperatorApp
{
    private const string ReadyTag = "ready";

    public static WebApplication Build(string[] args, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        var services = builder.Services;

        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        // One client per process. Watches and the large writes use its HttpClient and credentials (KubeHttp).
        services.AddSingleton(_ => new Kubernetes(ClientConfiguration(builder.Configuration["kubeconfig"])));
        services.AddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.AddSingleton<OperatorExit>();
        services.AddSingleton(_ =>
        {
            // Process and GC figures (working set, heap size, collections) next to the operator's own.
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton(new InformerOptions());
        services.AddSingleton(sp => new ClusterCache(sp.GetRequiredService<Kubernetes>(), sp.GetRequiredService<InformerOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        AddLeaderElection(services, options);

        services.AddSingleton<IIsolatedAppStore, KubeIsolatedAppStore>();
        services.AddSingleton(sp => new KubeHttp(sp.GetRequiredService<Kubernetes>()));
        services.AddSingleton<IIsolatedNodeStore, KubeIsolatedNodeStore>();
        services.AddSingleton<IConfigMapStore>(sp => new KubeConfigMapStore(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<KubeHttp>(), options.Namespace, options.AllocationConfigMap));
        services.AddSingleton<IPresharedKeyStore>(sp => new KubePresharedKeyStore(sp.GetRequiredService<IKubernetes>(), options.Namespace, options.PresharedKeySecret));
        services.AddSingleton<IEventRecorder, KubeEventRecorder>();
        services.AddSingleton<MeshView>();
        services.AddSingleton<NodeSpecWrites>();
        // The pure logic of src/Core behind the controllers' ports.
        services.AddSingleton<IAppValidator, CoreAppValidator>();
        services.AddSingleton<IMeshPlanner>(_ => new CoreMeshPlanner(options.PresharedKeySecret));
        services.AddSingleton<IAllocations>(sp => new ConfigMapAllocations(sp.GetRequiredService<IConfigMapStore>(),
            // The chart always sets the variable; empty means "not configured".
            string.IsNullOrWhiteSpace(options.ClusterPrefix) ? null : options.ClusterPrefix,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConfigMapAllocations>>()));
        AddControllers(services, options);
        services.AddHostedService<ControllersService>();

        services.AddHealthChecks().AddCheck<CacheSyncedHealthCheck>("informers", tags: [ReadyTag]);
        replace?.Invoke(services);

        var app = builder.Build();
        // Liveness runs no checks: the process answering is alive; a wedged loop ends the process itself.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        return app;
    }

    private static KubernetesClientConfiguration ClientConfiguration(string? kubeconfig) =>
        kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
        : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
        : KubernetesClientConfiguration.BuildDefaultConfig();

    private static void AddLeaderElection(IServiceCollection services, OperatorOptions options)
    {
        if (!options.LeaderElection)
        {
            services.AddSingleton(Leadership.Always());
            return;
        }

        var election = new LeaderElectionOptions
        {
            Namespace = options.Namespace,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        services.AddSingleton(election);
        services.AddSingleton<Leadership>();
        services.AddSingleton<ILock>(sp => new LeaseLock(sp.GetRequiredService<IKubernetes>(), election.Namespace, election.LeaseName, election.Identity));
        services.AddHostedService<LeaderElectionService>();
    }

    private static void AddControllers(IServiceCollection services, OperatorOptions options)
    {
        var appQueueKey = "isolatedapp";
        var meshQueueKey = "mesh";
        services.AddKeyedSingleton(appQueueKey, (sp, _) => new WorkQueue(sp.GetRequiredService<TimeProvider>(), BackoffRateLimiter.Default()));
        services.AddKeyedSingleton(meshQueueKey, (sp, _) => new WorkQueue(sp.GetRequiredService<TimeProvider>(), BackoffRateLimiter.Default()));

        services.AddSingleton(sp =>
        {
            var appQueue = sp.GetRequiredKeyedService<WorkQueue>(appQueueKey);
            return new MeshRequests(sp.GetRequiredKeyedService<WorkQueue>(meshQueueKey), () => appQueue.Depth, sp.GetRequiredService<TimeProvider>());
        });

        services.AddSingleton(sp =>
        {
            var appQueue = sp.GetRequiredKeyedService<WorkQueue>(appQueueKey);
            var mesh = sp.GetRequiredService<MeshRequests>();
            var cache = sp.GetRequiredService<ClusterCache>();
            EventRouting.Wire(cache, appQueue, mesh, sp.GetRequiredService<NodeSpecWrites>());
            var reconciler = new IsolatedAppReconciler(cache, sp.GetRequiredService<IAppValidator>(), sp.GetRequiredService<IAllocations>(),
                sp.GetRequiredService<IIsolatedAppStore>(), sp.GetRequiredService<IEventRecorder>(), sp.GetRequiredService<MeshView>(),
                mesh.App, options.AgentCleanupTimeout, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<IsolatedAppReconciler>>());
            return Controller(sp, reconciler, appQueue, cache, options.Workers);
        });
        services.AddSingleton(sp =>
        {
            var appQueue = sp.GetRequiredKeyedService<WorkQueue>(appQueueKey);
            var meshQueue = sp.GetRequiredKeyedService<WorkQueue>(meshQueueKey);
            var cache = sp.GetRequiredService<ClusterCache>();
            var reconciler = new MeshReconciler(cache, sp.GetRequiredService<IAppValidator>(), sp.GetRequiredService<IAllocations>(),
                sp.GetRequiredService<IMeshPlanner>(), sp.GetRequiredService<IIsolatedNodeStore>(), sp.GetRequiredService<NodeSpecWrites>(),
                sp.GetRequiredService<IPresharedKeyStore>(),
                sp.GetRequiredService<MeshView>(), sp.GetRequiredService<MeshRequests>(), app => appQueue.Add(new ResourceKey(app.Namespace, app.Name)),
                sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<MeshReconciler>>());
            // One key: a single worker; concurrency would only make it wait on itself.
            return Controller(sp, reconciler, meshQueue, cache, workers: 1);
        });
    }

    private static Controller Controller(IServiceProvider sp, IReconciler reconciler, WorkQueue queue, ClusterCache cache, int workers)
    {
        var metrics = sp.GetRequiredService<OperatorMetrics>();
        metrics.TrackQueue(reconciler.Name, () => queue.Depth);
        return new(reconciler, queue, cache.All, new ControllerOptions { Workers = workers }, sp.GetRequiredService<TimeProvider>(),
            metrics, sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Controller.{reconciler.Name}"));
    }
}
