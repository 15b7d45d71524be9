using Aviary.Cli;

return await AviaryProgram.InvokeAsync(args, Console.Out, Console.Error);
