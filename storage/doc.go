// Package storage connects pods to on-premises storage across the hybrid
// link: statically provisioned PersistentVolumes and their claims for
// in-tree NFS, the NFS CSI driver and any CSI driver (Lustre, vendors),
// NFS mount-option presets with their reasons and a parser that checks
// them, node affinity that keeps a volume where its path is fast, and a
// check of that path with netpath's baseline and MTU and the firewall's
// rules.
//
//	v := storage.Volume{Name: "onprem-data", Capacity: "10Ti",
//		NFS: &storage.NFS{Server: "192.168.1.100", Path: "/export/data"}}
//	pv, pvc, err := v.Objects() // Retain, ReadWriteMany, the NFS presets
//
// A claim without a class is bound to its volume by volumeName and
// claimRef, with storageClassName "" on both so the cluster's default
// StorageClass does not provision an empty volume in its place.
package storage
