// "Start a job" starts one (POST /jobs) and switches the live view to the job's stream.
(function () {
	'use strict';

	var button = document.getElementById('start-job');
	var status = document.getElementById('job-status');

	button.addEventListener('click', function () {
		button.disabled = true;
		fetch('/jobs', { method: 'POST', headers: { Accept: 'application/json' } })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.json();
			})
			.then(function (job) {
				status.textContent = 'Started ' + job.jobId;
				document.querySelector('[data-redis-log]').redisLog.watch({ context: job.jobId });
			}, function (error) {
				status.textContent = 'Could not start a job: ' + error.message;
			})
			.finally(function () {
				button.disabled = false;
			});
	});
})();
