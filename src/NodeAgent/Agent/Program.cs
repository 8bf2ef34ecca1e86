using WgIsolate.NodeAgent.Cli;

return WgIsolateCli.Root().Parse(args).Invoke();
