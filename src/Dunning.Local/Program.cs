using Dunning.Local.Cli;

return await CommandLine.RunAsync(args);
