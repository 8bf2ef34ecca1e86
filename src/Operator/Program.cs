using WgIsolate.Operator.Hosting;
using WgIsolate.Operator.Runtime;

// In a pod: the service account's in-cluster configuration. For development: --kubeconfig PATH.
// Settings come from the "Operator" section (appsettings, environment variables Operator__Namespace, ...).
var app = OperatorApp.Build(args);
await app.RunAsync();
return app.Services.GetRequiredService<OperatorExit>().Code;
