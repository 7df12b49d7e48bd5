using System.CommandLine;

var root = new RootCommand("Ragtune: retrieval-augmented answers from your documents, and fine-tune datasets from their ratings.");
return await root.Parse(args).InvokeAsync();
