
namespace Ragtune.Azure.Storage;

/// <summary>Runs a call to Azure Storage, turning throttling, 5xx and network failures into <see cref="Core.DependencyUnavailableException"/>.</summary>
internal static class StorageCalls
{
    public const string Dependency = "storage";

    public static Task<T> TranslateAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        AzureDependencyErrors.TranslateAsync(call, Dependency, cancellationToken);

    public static Task TranslateAsync(Func<Task> call, CancellationToken cancellationToken) =>
        TranslateAsync(async () =>
        {
            await call();
            return true;
        }, cancellationToken);
}
