export default function OverviewPage() {
  return (
    <main className="p-8">
      <h1 className="text-2xl font-semibold">Flotilla</h1>
    </main>
  );
}
