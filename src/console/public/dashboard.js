/* global document, Chart */
// Draws the dashboard's stacked bar chart from the JSON the page embeds (no inline script).
(function () {
  const data = document.getElementById('volume-data');
  const canvas = document.getElementById('volume-chart');
  if (!data || !canvas || typeof Chart === 'undefined') return;
  const { days, series } = JSON.parse(data.textContent || '{}');
  const colours = {
    queued: '#7a5c00',
    sent: '#0b4f8a',
    delivered: '#14622b',
    received: '#5b3a8c',
    error: '#9b1c1c',
  };
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: days,
      datasets: series.map((s) => ({
        label: s.status,
        data: s.counts,
        backgroundColor: colours[s.status] || '#555555',
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
