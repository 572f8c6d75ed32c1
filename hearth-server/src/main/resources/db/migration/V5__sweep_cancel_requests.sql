-- Why a sweep was asked to stop, recorded before any of its tasks is stopped: when its running
-- tasks then end (cancelled, or failing in the same moment), the sweep ends CANCELLED with this
-- reason. Resume clears it.
ALTER TABLE sweeps ADD COLUMN cancel_reason VARCHAR(4096);
