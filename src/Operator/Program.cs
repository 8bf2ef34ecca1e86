// Replaced by the real host (informers, controllers, leader election, metrics) in a later step.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();
