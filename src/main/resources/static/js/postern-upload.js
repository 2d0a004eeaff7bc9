/*
 * Postern: resumable uploads with progress on the report page (decision 0004, section 4).
 *
 * Enhances every <section data-tus-endpoint> of the page: files chosen in its file input are sent
 * with tus (tus-js-client, loaded before this file), one file at a time, each with a progress bar,
 * bytes, percent and time left, and Pause / Resume / Cancel. A dropped connection is retried with
 * back-off for about half an hour and resumes from the offset the server reports; the browser's
 * "online" event resumes at once. Every text comes from data-text-* attributes on the section (the
 * page's language); nothing is stored on the device (no web storage, no IndexedDB, no cookies:
 * upload URLs live in memory only, and the server lists unfinished uploads on the page instead).
 *
 * Without this script (or without tus support) the page's plain forms work unchanged.
 */
(function () {
    'use strict';

    if (!window.tus || !window.tus.isSupported) {
        return;
    }

    /** About 30 minutes of retries: quick at first (a Tor circuit rebuilds in seconds), then once a minute. */
    var RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000];
    for (var i = 0; i < 28; i++) {
        RETRY_DELAYS.push(60000);
    }
    /** The time-left estimate uses the rate over this window, so it follows a changing network. */
    var RATE_WINDOW_MS = 10000;

    /** Upload URLs by fingerprint, for this page only: the urlStorage tus-js-client asks for. */
    function MemoryUrlStorage() {
        this.entries = new Map();
        this.next = 0;
    }
    MemoryUrlStorage.prototype.findAllUploads = function () {
        return Promise.resolve(Array.from(this.entries.values()).map(function (e) { return e.upload; }));
    };
    MemoryUrlStorage.prototype.findUploadsByFingerprint = function (fingerprint) {
        var found = [];
        this.entries.forEach(function (e) {
            if (e.fingerprint === fingerprint) {
                found.push(e.upload);
            }
        });
        return Promise.resolve(found);
    };
    MemoryUrlStorage.prototype.removeUpload = function (key) {
        this.entries.delete(key);
        return Promise.resolve();
    };
    MemoryUrlStorage.prototype.addUpload = function (fingerprint, upload) {
        var key = 'postern-' + (this.next++);
        upload.urlStorageKey = key;
        this.entries.set(key, { fingerprint: fingerprint, upload: upload });
        return Promise.resolve(key);
    };

    var urlStorage = new MemoryUrlStorage();
    var texts = document.getElementById('upload-texts');

    function fingerprintOf(file) {
        return ['postern', file.name, file.size, file.lastModified].join(':');
    }

    /** "{0} of {1}" with the arguments put in. */
    function fill(template, args) {
        return String(template).replace(/\{(\d+)\}/g, function (whole, n) {
            return args[Number(n)] !== undefined ? String(args[Number(n)]) : whole;
        });
    }

    /**
     * As the server shows sizes (PageContext.size) in the page's language: "1.5 MiB", "1,5 МБ"
     * (unit symbols and decimal separator from data-text-units and data-text-decimal).
     */
    function size(bytes) {
        var units = (texts && texts.getAttribute('data-text-units') || 'B,KiB,MiB,GiB,TiB').split(',');
        var decimal = texts && texts.getAttribute('data-text-decimal') || '.';
        if (bytes < 1024) {
            return bytes + ' ' + units[0];
        }
        var v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v.toFixed(1).replace('.', decimal) + ' ' + units[u];
    }

    function element(tag, className, text) {
        var e = document.createElement(tag);
        if (className) {
            e.className = className;
        }
        if (text !== undefined) {
            e.textContent = text;
        }
        return e;
    }

    function button(label, className) {
        var b = element('button', 'secondary upload-' + className, label);
        b.type = 'button';
        return b;
    }

    /** One enhanced section: its texts, its file input, its rows and its queue. */
    function Panel(section) {
        this.section = section;
        this.endpoint = new URL(section.getAttribute('data-tus-endpoint'), window.location.href).href;
        this.token = section.getAttribute('data-tus-token') || '';
        this.context = section.getAttribute('data-tus-context') || 'report';
        this.fileLimit = Number(section.getAttribute('data-file-limit') || '0');
        this.refreshIds = (section.getAttribute('data-refresh') || '').split(/\s+/).filter(Boolean);
        this.input = section.querySelector('input[type=file]');
        this.items = [];
        this.list = section.querySelector('.upload-list');
        if (!this.list) {
            this.list = element('ul', 'upload-list');
            this.section.appendChild(this.list);
        }
        this.live = section.querySelector('[role=status]');
        if (!this.live) {
            this.live = element('p', 'upload-status');
            this.live.setAttribute('role', 'status');
            this.section.appendChild(this.live);
        }
    }

    /** A text of the page's language: data-text-NAME on the section, else on #upload-texts. */
    Panel.prototype.text = function (name) {
        var v = this.section.getAttribute('data-text-' + name);
        if (v === null && texts) {
            v = texts.getAttribute('data-text-' + name);
        }
        return v === null ? name : v;
    };

    Panel.prototype.say = function (message) {
        this.live.textContent = message;
    };

    Panel.prototype.start = function () {
        var panel = this;
        if (!this.input) {
            return;
        }
        this.input.addEventListener('change', function () {
            var files = Array.prototype.slice.call(panel.input.files || []);
            // The files go by tus now; cleared, so the form's own button (the follow-up text)
            // does not send them a second time.
            panel.input.value = '';
            files.forEach(function (file) {
                panel.add(file);
            });
            panel.pump();
        });
    };

    /** The unfinished upload the server listed for a file of this name and size, if any. */
    Panel.prototype.unfinishedUrl = function (file) {
        var rows = document.querySelectorAll('#unfinished-uploads li[data-upload-url]');
        for (var i = 0; i < rows.length; i++) {
            var li = rows[i];
            var context = li.getAttribute('data-context');
            if (li.getAttribute('data-name') === file.name && Number(li.getAttribute('data-size')) === file.size
                    && (context === null || context === this.context)) {
                return new URL(li.getAttribute('data-upload-url'), window.location.href).href;
            }
        }
        return null;
    };

    Panel.prototype.add = function (file) {
        var fingerprint = fingerprintOf(file);
        for (var i = 0; i < this.items.length; i++) {
            var other = this.items[i];
            if (other.fingerprint === fingerprint && other.state !== 'done' && other.state !== 'cancelled') {
                this.say(fill(this.text('duplicate'), [file.name]));
                return;
            }
        }
        var item = new Item(this, file, fingerprint);
        this.items.push(item);
        if (this.fileLimit > 0 && file.size > this.fileLimit) {
            item.fail(this.text('too-large'), false);
            return;
        }
        item.setState('queued', this.text('waiting'));
    };

    /** One file at a time: on a thin link each file arrives (and is kept) as early as it can. */
    Panel.prototype.pump = function () {
        var running = this.items.some(function (it) { return it.state === 'running'; });
        if (!running) {
            var next = this.items.find(function (it) { return it.state === 'queued'; });
            if (next) {
                next.begin();
                return;
            }
        }
        this.settleIfIdle();
    };

    Panel.prototype.busy = function () {
        return this.items.some(function (it) { return it.state === 'running' || it.state === 'queued'; });
    };

    /**
     * After a batch: the server's lists (files kept, unfinished uploads, messages) are shown anew,
     * from the elements named in data-refresh, or by reloading the page when nothing typed on it
     * would be lost.
     */
    Panel.prototype.settleIfIdle = function () {
        if (this.busy() || !this.items.some(function (it) { return it.state === 'done' && !it.listed; })) {
            return;
        }
        this.items.forEach(function (it) {
            if (it.state === 'done') {
                it.listed = true;
            }
        });
        if (this.items.every(function (it) { return it.state === 'done' || it.state === 'cancelled'; })) {
            this.say(this.text('all-done'));
        }
        var panel = this;
        refreshLists(this.refreshIds).then(function (refreshed) {
            if (!refreshed) {
                return;
            }
            // Rows of finished files give way to the server's list.
            panel.items = panel.items.filter(function (it) {
                if (it.state === 'done') {
                    it.row.remove();
                    return false;
                }
                return true;
            });
        });
    };

    /** One file: its tus upload and its row. */
    function Item(panel, file, fingerprint) {
        this.panel = panel;
        this.file = file;
        this.fingerprint = fingerprint;
        this.state = 'new';
        this.listed = false;
        this.samples = [];
        this.upload = null;

        this.row = element('li', 'upload-row');
        this.row.setAttribute('data-name', file.name);
        this.nameEl = element('span', 'upload-name', file.name);
        this.bar = element('progress', 'upload-bar');
        this.bar.max = file.size > 0 ? file.size : 1;
        this.bar.value = 0;
        this.bar.setAttribute('aria-label', file.name);
        this.figures = element('span', 'upload-figures', this.figureText(0));
        this.stateEl = element('span', 'upload-state');
        this.pauseBtn = button(panel.text('pause'), 'pause');
        this.resumeBtn = button(panel.text('resume'), 'resume');
        this.cancelBtn = button(panel.text('cancel'), 'cancel');
        var controls = element('span', 'upload-controls');
        controls.appendChild(this.pauseBtn);
        controls.appendChild(this.resumeBtn);
        controls.appendChild(this.cancelBtn);
        this.row.appendChild(this.nameEl);
        this.row.appendChild(this.bar);
        this.row.appendChild(this.figures);
        this.row.appendChild(this.stateEl);
        this.row.appendChild(controls);
        panel.list.appendChild(this.row);

        var item = this;
        this.pauseBtn.addEventListener('click', function () { item.pause(); });
        this.resumeBtn.addEventListener('click', function () { item.resume(); });
        this.cancelBtn.addEventListener('click', function () { item.cancel(); });
    }

    Item.prototype.setState = function (state, label) {
        this.state = state;
        this.row.setAttribute('data-state', state);
        this.stateEl.textContent = label;
        this.pauseBtn.hidden = state !== 'running' && state !== 'queued';
        this.resumeBtn.hidden = state !== 'paused' && state !== 'failed';
        this.cancelBtn.hidden = state === 'done' || state === 'cancelled' || state === 'refused';
        if (state !== 'running') {
            // No time left while nothing moves; the rate starts afresh when it does again.
            this.samples = [];
            this.figures.textContent = this.figureText(Math.min(this.bar.value, this.file.size));
        }
    };

    Item.prototype.figureText = function (sent) {
        var total = this.file.size;
        var percent = total > 0 ? Math.floor((sent * 100) / total) : 100;
        var text = fill(this.panel.text('of'), [size(sent), size(total)]) + ' · ' + percent + ' %';
        var left = this.timeLeft(sent);
        if (left !== null) {
            text += ' · ' + fill(this.panel.text('left'), [left]);
        }
        return text;
    };

    /** Time left from the rate over the last RATE_WINDOW_MS, or null while it is not known. */
    Item.prototype.timeLeft = function (sent) {
        if (this.samples.length < 2) {
            return null;
        }
        var first = this.samples[0];
        var last = this.samples[this.samples.length - 1];
        var ms = last.t - first.t;
        var bytes = last.bytes - first.bytes;
        if (ms < 1000 || bytes <= 0) {
            return null;
        }
        var seconds = Math.ceil((this.file.size - sent) / (bytes / ms) / 1000);
        var p = this.panel;
        if (seconds >= 3600) {
            return fill(p.text('hours'), [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60)]);
        }
        if (seconds >= 60) {
            return fill(p.text('minutes'), [Math.ceil(seconds / 60)]);
        }
        return fill(p.text('seconds'), [Math.max(seconds, 1)]);
    };

    Item.prototype.progress = function (sent) {
        var now = Date.now();
        var last = this.samples[this.samples.length - 1];
        if (last && sent < last.bytes) {
            // Resumed from the server's offset after a cut: the old rate says nothing now.
            this.samples = [];
        }
        this.samples.push({ t: now, bytes: sent });
        while (this.samples.length > 2 && now - this.samples[0].t > RATE_WINDOW_MS) {
            this.samples.shift();
        }
        this.bar.value = sent;
        this.figures.textContent = this.figureText(sent);
        if (this.state === 'running' && this.retrying) {
            this.retrying = false;
            this.stateEl.textContent = this.panel.text('uploading');
            this.panel.say(fill(this.panel.text('resumed'), [this.file.name]));
        }
    };

    Item.prototype.options = function (uploadUrl) {
        var item = this;
        var panel = this.panel;
        var headers = {};
        if (panel.token) {
            headers['Postern-Upload-Token'] = panel.token;
        }
        return {
            endpoint: panel.endpoint,
            uploadUrl: uploadUrl,
            headers: headers,
            metadata: { filename: this.file.name, context: panel.context },
            urlStorage: urlStorage,
            fingerprint: function () { return Promise.resolve(item.fingerprint); },
            storeFingerprintForResuming: true,
            removeFingerprintOnSuccess: true,
            retryDelays: RETRY_DELAYS,
            onShouldRetry: function (err, attempt, options) {
                var retry = retryable(err);
                if (retry) {
                    item.retrying = true;
                    var seconds = Math.round(options.retryDelays[attempt] / 1000);
                    item.stateEl.textContent = seconds > 0 ? fill(panel.text('retrying'), [seconds])
                        : panel.text('reconnecting');
                    panel.say(fill(panel.text('connection-lost'), [item.file.name]));
                }
                return retry;
            },
            onUploadUrlAvailable: function () {
                // The row names its upload (as the server's unfinished list does), for tests and tools.
                item.row.setAttribute('data-upload-url', new URL(item.upload.url, window.location.href).pathname);
            },
            onProgress: function (sent) { item.progress(sent); },
            onSuccess: function () { item.done(); },
            onError: function (err) { item.error(err); }
        };
    };

    /** tus-js-client's own rule (no 4xx but 409 and 423; not while the browser says offline). */
    function retryable(err) {
        var status = err && err.originalResponse ? err.originalResponse.getStatus() : 0;
        var clientError = status >= 400 && status < 500;
        return (!clientError || status === 409 || status === 423) && navigator.onLine !== false;
    }

    Item.prototype.begin = function () {
        var item = this;
        this.setState('running', this.panel.text('uploading'));
        this.panel.say(fill(this.panel.text('started'), [this.file.name]));
        if (this.upload) {
            // Resume: HEAD for the server's offset, then PATCH from there.
            this.upload.start();
            return;
        }
        var listed = this.panel.unfinishedUrl(this.file);
        this.upload = new window.tus.Upload(this.file, this.options(listed || undefined));
        if (listed) {
            this.upload.start();
            return;
        }
        // Chosen again on this page after an error: continue that upload, not a second copy.
        this.upload.findPreviousUploads().then(function (previous) {
            if (previous.length > 0) {
                item.upload.resumeFromPreviousUpload(previous[0]);
            }
            if (item.state === 'running') {
                item.upload.start();
            }
        });
    };

    Item.prototype.pause = function () {
        if (this.upload && this.state === 'running') {
            this.upload.abort();
        }
        this.setState('paused', this.panel.text('paused'));
        this.panel.say(fill(this.panel.text('paused-file'), [this.file.name]));
        this.panel.pump();
    };

    Item.prototype.resume = function () {
        this.setState('queued', this.panel.text('waiting'));
        this.panel.pump();
    };

    Item.prototype.cancel = function () {
        var item = this;
        var upload = this.upload;
        this.setState('cancelled', this.panel.text('cancelled'));
        this.panel.say(fill(this.panel.text('cancelled-file'), [this.file.name]));
        this.row.remove();
        if (upload) {
            // abort(true): DELETE, so the server drops what it received of this file.
            upload.abort(true).catch(function () {
                item.panel.say(fill(item.panel.text('cancel-failed'), [item.file.name]));
            });
        }
        this.panel.items = this.panel.items.filter(function (it) { return it !== item; });
        this.panel.pump();
    };

    Item.prototype.done = function () {
        this.bar.value = this.bar.max;
        this.samples = [];
        this.figures.textContent = this.figureText(this.file.size);
        this.setState('done', this.panel.text('done'));
        this.panel.say(fill(this.panel.text('done-file'), [this.file.name]));
        this.panel.pump();
    };

    Item.prototype.error = function (err) {
        var status = err && err.originalResponse ? err.originalResponse.getStatus() : 0;
        if (status === 401 || status === 403) {
            this.fail(this.panel.text('session'), true);
        } else if (status === 413) {
            this.fail(this.panel.text('too-large'), false);
        } else if (status === 507) {
            this.fail(this.panel.text('server-full'), true);
        } else {
            this.fail(navigator.onLine === false ? this.panel.text('offline') : this.panel.text('failed'), true);
        }
    };

    /** Stopped; with {@code canResume} the Resume button (and the "online" event) tries again. */
    Item.prototype.fail = function (message, canResume) {
        this.retrying = false;
        this.setState(canResume ? 'failed' : 'refused', message);
        this.panel.say(this.file.name + ': ' + message);
        this.panel.pump();
    };

    /** True when no field of the page holds typed text a reload would drop. */
    function nothingTyped() {
        var fields = document.querySelectorAll('textarea, input[type=text]');
        for (var i = 0; i < fields.length; i++) {
            if (fields[i].value !== fields[i].defaultValue) {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces the elements with these ids by their current version from the server; resolves to
     * whether the page now shows the server's lists.
     */
    function refreshLists(ids) {
        var present = ids.length > 0 && ids.every(function (id) { return document.getElementById(id) !== null; });
        if (!present) {
            // A paused or stopped row would vanish with a reload (the server's list keeps the upload,
            // but the source would have to choose the file again): then the rows stay as they are.
            var settled = panels.every(function (p) {
                return p.items.every(function (it) { return it.state === 'done' || it.state === 'cancelled'; });
            });
            if (settled && nothingTyped()) {
                window.location.reload();
                return Promise.resolve(true);
            }
            return Promise.resolve(false);
        }
        return fetch(window.location.pathname + window.location.search, { credentials: 'same-origin', cache: 'no-store' })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error('status ' + response.status);
                }
                return response.text();
            })
            .then(function (html) {
                var fresh = new DOMParser().parseFromString(html, 'text/html');
                ids.forEach(function (id) {
                    var now = document.getElementById(id);
                    var next = fresh.getElementById(id);
                    if (now && next) {
                        now.replaceWith(document.importNode(next, true));
                    }
                });
                return true;
            })
            .catch(function () {
                // The rows already say "received and kept"; the list catches up at the next page load.
                return false;
            });
    }

    var panels = [];
    var sections = document.querySelectorAll('section[data-tus-endpoint]');
    for (var s = 0; s < sections.length; s++) {
        var panel = new Panel(sections[s]);
        panel.start();
        panels.push(panel);
    }
    if (panels.length === 0) {
        return;
    }
    // Only now: the page's CSS hides the plain forms' file buttons and the "turn scripts on" hint.
    document.documentElement.classList.add('js');

    window.addEventListener('online', function () {
        panels.forEach(function (p) {
            p.items.forEach(function (it) {
                if (it.state === 'failed') {
                    it.setState('queued', p.text('waiting'));
                } else if (it.state === 'running' && it.retrying && it.upload) {
                    // Waiting out a back-off (up to a minute): the network is back, so go now.
                    var upload = it.upload;
                    upload.abort().then(function () { upload.start(); });
                }
            });
            p.pump();
        });
    });
    window.addEventListener('offline', function () {
        panels.forEach(function (p) {
            if (p.busy()) {
                p.say(p.text('offline'));
            }
        });
    });
    window.addEventListener('beforeunload', function (event) {
        // Leaving mid-upload loses nothing received (the page lists it for resuming), but it stops
        // the upload: ask first.
        if (panels.some(function (p) { return p.busy(); })) {
            event.preventDefault();
            event.returnValue = '';
        }
    });
})();
