// The live pacer: inhale and exhale cues in step with the runner's cadence, scheduled on the
// audio clock (never by timers alone). A short look-ahead loop places each cue at its exact time.
(function () {
  "use strict";
  var root = document.getElementById("pacer");
  if (!root) return;
  var startButton = document.getElementById("pacer-start");
  var stopButton = document.getElementById("pacer-stop");
  var cadenceInput = document.getElementById("pacer-cadence");
  var cadenceOut = document.getElementById("pacer-cadence-out");
  var patternInput = document.getElementById("pacer-pattern");
  var ticksInput = document.getElementById("pacer-ticks");
  var status = document.getElementById("pacer-status");

  var LOOKAHEAD_S = 0.25;
  var TICK_MS = 50;
  var context = null;
  var timer = null;
  var nextStep = 0; // audio-clock time of the next step
  var stepIndex = 0;

  function pattern() {
    var parts = patternInput.value.split(":");
    return { inhale: parseInt(parts[0], 10), exhale: parseInt(parts[1], 10) };
  }

  function stepSeconds() {
    return 60 / parseFloat(cadenceInput.value);
  }

  // A soft tone gliding from one pitch to another, with a smooth envelope (no clicks).
  function cue(at, from, to, length, level) {
    var osc = context.createOscillator();
    var gain = context.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(from, at);
    osc.frequency.exponentialRampToValueAtTime(to, at + length);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(level, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    osc.connect(gain).connect(context.destination);
    osc.start(at);
    osc.stop(at + length + 0.05);
  }

  function schedule() {
    var p = pattern();
    var cycle = p.inhale + p.exhale;
    var s = stepSeconds();
    while (nextStep < context.currentTime + LOOKAHEAD_S) {
      var position = stepIndex % cycle;
      if (position === 0) {
        cue(nextStep, 560, 880, Math.min(p.inhale * s * 0.8, 1.2), 0.25); // breathe in: rising
      } else if (position === p.inhale) {
        cue(nextStep, 330, 210, Math.min(p.exhale * s * 0.8, 1.0), 0.25); // breathe out: falling
      } else if (ticksInput.checked) {
        cue(nextStep, 1200, 1100, 0.04, 0.05);
      }
      nextStep += s;
      stepIndex += 1;
    }
  }

  function start() {
    var AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtx) {
      status.textContent = "This browser cannot play the pacer.";
      return;
    }
    if (!context) context = new AudioCtx();
    context.resume();
    nextStep = context.currentTime + 0.1;
    stepIndex = 0;
    schedule();
    timer = window.setInterval(schedule, TICK_MS);
    startButton.disabled = true;
    stopButton.disabled = false;
    root.dataset.playing = "1";
    status.textContent = "Playing at " + cadenceInput.value + " steps a minute.";
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    if (context) context.suspend();
    startButton.disabled = false;
    stopButton.disabled = true;
    root.dataset.playing = "0";
    status.textContent = "Stopped.";
  }

  cadenceInput.addEventListener("input", function () {
    cadenceOut.value = cadenceInput.value;
    if (timer !== null) status.textContent = "Playing at " + cadenceInput.value + " steps a minute.";
  });
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
})();
