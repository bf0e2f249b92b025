using Podwake.Cli;

return await PodwakeCommand.Create().Parse(args).InvokeAsync();
