/* global document, Chart */
// Draws one bar chart per survey question from the JSON the page embeds (no inline script).
(function () {
  const data = document.getElementById('survey-charts-data');
  if (!data || typeof Chart === 'undefined') return;
  const questions = JSON.parse(data.textContent || '[]');
  questions.forEach(function (q, i) {
    const canvas = document.getElementById('chart-' + i);
    if (!canvas) return;
    new Chart(canvas, {
      type: 'bar',
      data: { labels: q.labels, datasets: [{ label: q.id, data: q.counts, backgroundColor: '#0b4f8a' }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
