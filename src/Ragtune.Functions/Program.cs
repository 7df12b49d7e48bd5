using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Ragtune.Azure;
using Ragtune.Core;
using Ragtune.Functions;
using Ragtune.OpenAI;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddRagtuneCore();
builder.Services.AddRagtuneAzure(builder.Configuration);
builder.Services.AddRagtuneAzureOpenAIEmbeddings();
builder.Services.AddRagtuneChat();
builder.Services.AddRagtuneFineTuning();
builder.Services.AddRagtuneFunctions();
builder.Services.AddRagtuneTelemetry(builder.Configuration);

builder.Build().Run();
